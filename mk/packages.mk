# Files of the packages component.
