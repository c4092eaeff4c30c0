namespace Mandate.Demo.Tests;

/// <summary>One curl command of the demo's printout, parsed, with the status its comment promises.</summary>
internal sealed record PrintedCall(
    int ExpectedStatus,
    string Title,
    string Method,
    string Url,
    IReadOnlyList<(string Name, string Value)> Headers,
    string? Body);
