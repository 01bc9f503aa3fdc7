# Files of the xlate component.
