# Files of the kernel component.
