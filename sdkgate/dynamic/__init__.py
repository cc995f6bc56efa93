"""Dynamic evidence: the Frida agent host, stack attribution, the simulated device."""
