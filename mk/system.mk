# Files of the system component.
