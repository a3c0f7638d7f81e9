"""Link, IP and SCTP layers (plain ``struct``; no per-packet objects on the common path)."""
