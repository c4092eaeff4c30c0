namespace Mandate.Server.Hosting;

/// <summary>A running server, or why it did not start.</summary>
/// <param name="Server">The server, when started.</param>
/// <param name="Problems">Why it did not start.</param>
public sealed record StartResult(MandateServer? Server, IReadOnlyList<string> Problems);
