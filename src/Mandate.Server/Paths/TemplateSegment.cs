namespace Mandate.Server.Paths;

/// <summary>One segment of a route template: a literal, a <c>{name}</c> parameter or a trailing <c>{*name}</c> catch-all.</summary>
/// <param name="Kind">What the segment matches.</param>
/// <param name="Text">The literal text (decoded) or the parameter name.</param>
public sealed record TemplateSegment(TemplateSegmentKind Kind, string Text);
