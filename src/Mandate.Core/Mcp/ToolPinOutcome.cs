namespace Mandate.Core.Mcp;

/// <summary>The details of one pin check.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Tool">The tool name read from the definition (null when it has none).</param>
/// <param name="Hash">The fingerprint of the definition offered now (null when it could not be computed).</param>
/// <param name="PinnedHash">The pinned fingerprint (null when there was no pin).</param>
/// <param name="Recorded">True when this check recorded a new pin.</param>
/// <param name="Error">Why the verdict is <see cref="ToolPinVerdict.Unavailable"/>.</param>
public sealed record ToolPinOutcome(ToolPinVerdict Verdict, string? Tool, string? Hash, string? PinnedHash, bool Recorded, string? Error)
{
    /// <summary>True when the tool may be listed and called: a match, or a new tool trusted on first use.</summary>
    public bool Usable => Verdict == ToolPinVerdict.Match || Verdict == ToolPinVerdict.New && Recorded;
}
