namespace Mandate.Core.Mcp;

/// <summary>Why a pin store operation failed.</summary>
/// <param name="Code">Stable code, e.g. <c>pins.unavailable</c>.</param>
/// <param name="Message">Text for a person.</param>
public sealed record ToolPinStoreError(string Code, string Message)
{
    /// <summary>The store cannot be read or written.</summary>
    public const string Unavailable = "pins.unavailable";

    /// <summary>A server or tool name the store does not accept.</summary>
    public const string InvalidName = "pins.invalid_name";
}
