"""The ballot web service (aiohttp + jinja2): what a voter's phone opens."""
