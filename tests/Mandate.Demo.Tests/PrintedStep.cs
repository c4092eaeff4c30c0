namespace Mandate.Demo.Tests;

/// <summary>
/// One printed line to run after the export lines, in print order: a curl command, a <c>NAME=$(…)</c> assignment or a
/// <c>mandate</c> command, with the answer its comment line announces (<c># expect ANSWER · TITLE</c>; both null for the
/// token exchange, announced by <c># task token · …</c>).
/// </summary>
/// <param name="Line">The line as printed.</param>
/// <param name="Answer">The announced answer: a status (<c>403</c>) or, for the approval, <see cref="DemoScript.ApprovedAnswer"/>.</param>
/// <param name="Title">The title after the answer.</param>
/// <param name="Variable">For a <c>NAME=$(…)</c> line, the variable it sets.</param>
internal sealed record PrintedStep(string Line, string? Answer, string? Title, string? Variable)
{
    /// <summary>A curl command the tests send over HTTP themselves (not an assignment, not a CLI command).</summary>
    public bool IsCurl => Variable is null && Line.StartsWith("curl ", StringComparison.Ordinal);
}
