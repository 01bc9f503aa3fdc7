# Files of the nat64 component.
