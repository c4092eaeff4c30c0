namespace Mandate.Core.Decisions;

/// <summary>One text input to the policy compiler, with the file it came from (for error locations).</summary>
/// <param name="Path">The file path (or a name for texts that are not files).</param>
/// <param name="Text">The file's content.</param>
public sealed record PolicySource(string Path, string Text);
