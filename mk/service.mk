# Files of the service component.
