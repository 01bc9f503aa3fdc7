# Files of the ovs component.
