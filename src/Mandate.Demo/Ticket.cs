namespace Mandate.Demo;

/// <summary>A support ticket of the sample API.</summary>
/// <param name="Id">Ticket id (digits).</param>
/// <param name="Title">Short title.</param>
/// <param name="Status"><c>open</c> or <c>closed</c>.</param>
/// <param name="Assignee">Who works on it, if anyone.</param>
public sealed record Ticket(string Id, string Title, string Status, string? Assignee);
