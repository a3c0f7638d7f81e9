"""SIGTRAN adaptation layers (M3UA, M2PA, M2UA) and MTP2, each down to an MTP3 message."""
