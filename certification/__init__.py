"""Hankyong graduation certification: applications, required area, exemptions, committee decisions."""
