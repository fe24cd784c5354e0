// Placeholder until the TLSWire module lands; delete when adding real sources.
