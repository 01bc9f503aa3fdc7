# Files of the agent component.
