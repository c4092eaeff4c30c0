namespace Mandate.Demo;

/// <summary>Body of <c>POST /tickets</c>.</summary>
/// <param name="Title">Required title.</param>
/// <param name="Assignee">Optional assignee.</param>
public sealed record TicketDraft(string? Title, string? Assignee);
