// Tests get the private servers and processes of LocalServices with this module.
@_exported import LocalServices
