"""Settings split by use: base (shared), dev (embedded defaults), test, production."""
