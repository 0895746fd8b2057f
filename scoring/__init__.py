"""Scoring: the rule engine (scoring.engine, pure Python with no Django import), the evaluate
command and API, results stored with their traces, and their recomputation."""
