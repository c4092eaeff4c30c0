namespace Mandate.Core.Mcp;

/// <summary>How a tool that has no pin yet is treated.</summary>
public enum PinMode
{
    /// <summary>The first definition seen is recorded and trusted (<see cref="ToolPinVerdict.New"/>); later changes are not.</summary>
    TrustOnFirstUse,

    /// <summary>Nothing is recorded automatically: a tool stays <see cref="ToolPinVerdict.New"/> (and hidden) until an administrator accepts it.</summary>
    RequireAccepted,
}
