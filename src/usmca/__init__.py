"""usmca: check claims about U.S.-Mexico-Canada trade and border statistics against official data."""

__version__ = "0.1.0"
