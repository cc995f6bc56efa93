"""sdkgate: evidence that SDKs do (not) collect personal data before consent."""
__version__ = "0.1.0"
