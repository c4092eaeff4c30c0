namespace Mandate.Core.Mcp;

/// <summary>How a tool definition compares with its pin.</summary>
public enum ToolPinVerdict
{
    /// <summary>No pin existed. Under <see cref="PinMode.TrustOnFirstUse"/> it has now been recorded and the tool may be used;
    /// under <see cref="PinMode.RequireAccepted"/> nothing was recorded and the tool must not be used.</summary>
    New,

    /// <summary>The definition is the pinned one.</summary>
    Match,

    /// <summary>The definition differs from the pin; the pin is kept and the tool must not be used until an administrator accepts the change.</summary>
    Changed,

    /// <summary>The store could not answer (or the definition has no name); the caller fails closed.</summary>
    Unavailable,
}
