namespace Mandate.Core.OAuth;

/// <summary>
/// One RFC 9396 <c>authorization_details</c> entry of type <c>agent_task</c>: the task an agent declares
/// when it asks for a task token.
/// </summary>
/// <param name="Intent">The declared intent (free text), empty when none was given.</param>
/// <param name="Actions">Actions the task needs (<c>actions</c>).</param>
/// <param name="Tools">Tools the task needs (<c>tools</c>).</param>
/// <param name="Resources">Resources the task touches (<c>resources</c>).</param>
public sealed record TaskAuthorizationDetail(
    string Intent,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Tools,
    IReadOnlyList<string> Resources)
{
    /// <summary>The RFC 9396 <c>type</c> of a task declaration.</summary>
    public const string TypeName = "agent_task";
}
