# Files of the flowd component.
