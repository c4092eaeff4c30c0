namespace Mandate.Demo;

/// <summary>A document of the sample API.</summary>
/// <param name="Id">Document id (slug).</param>
/// <param name="Title">Title.</param>
/// <param name="Classification"><c>public</c>, <c>internal</c> or <c>secret</c>; mirrored in <c>demo/entities.json</c> so policies can see it.</param>
/// <param name="Body">Text.</param>
public sealed record Document(string Id, string Title, string Classification, string Body);
