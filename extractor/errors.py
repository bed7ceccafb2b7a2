"""The exception tree. The CLI and the service turn any of these into one clear line.

    ExtractorError
    ├── ConfigError      bad flags, env or settings (missing key, unknown engine, bad path)
    ├── InputError       an article that cannot be read: empty, binary, undecodable, bad header
    ├── ProviderError    the model endpoint failed after retries (down, 5xx, timeout, 429)
    ├── GroundingError   a span that cannot be located in its document
    └── GoldError        a gold file that does not hold together (wrong offset, missing field)

SDK errors are re-raised `from` the original so the cause stays in the chain.
"""


class ExtractorError(Exception):
    """Root of every error this package raises on purpose."""


class ConfigError(ExtractorError):
    pass


class InputError(ExtractorError):
    pass


class ProviderError(ExtractorError):
    pass


class GroundingError(ExtractorError):
    pass


class GoldError(ExtractorError):
    pass
