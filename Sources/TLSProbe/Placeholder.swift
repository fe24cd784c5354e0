// Placeholder until the TLSProbe module lands; delete when adding real sources.
