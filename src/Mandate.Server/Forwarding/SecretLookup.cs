namespace Mandate.Server.Forwarding;

/// <summary>A secret read from the vault, or why it could not be read. <see cref="ToString"/> never shows the value.</summary>
public sealed record SecretLookup
{
    private SecretLookup(string? value, string? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The secret, when found.</summary>
    public string? Value { get; }

    /// <summary>Why there is no secret.</summary>
    public string? Error { get; }

    /// <summary>Found.</summary>
    public static SecretLookup Found(string value) => new(value, null);

    /// <summary>Not available.</summary>
    public static SecretLookup Failed(string error) => new(null, error);

    /// <inheritdoc />
    public override string ToString() => Value is null ? $"SecretLookup {{ Error = {Error} }}" : "SecretLookup { Value = *** }";
}
