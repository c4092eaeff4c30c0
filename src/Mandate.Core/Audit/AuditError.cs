namespace Mandate.Core.Audit;

/// <summary>Why an audit operation failed: a stable <paramref name="Code"/> and a message for a person.</summary>
/// <param name="Code">Stable code, one of <see cref="AuditErrorCodes"/>.</param>
/// <param name="Message">Short lowercase explanation.</param>
public sealed record AuditError(string Code, string Message);
