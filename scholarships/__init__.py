"""The append-only points ledger, redemptions, the December selection, scholarship lists."""
