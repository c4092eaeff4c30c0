namespace Mandate.Core.Decisions;

/// <summary>Facts about the HTTP request itself (Cedar <c>context.request</c>).</summary>
/// <param name="Method">The real request method (never a method-override header).</param>
/// <param name="Path">The canonical path that was classified and will be forwarded.</param>
/// <param name="Ip">The client address as Mandate determined it (peer address, or the first untrusted hop behind a trusted proxy).</param>
/// <param name="Host">The Host the request was sent to.</param>
public sealed record RequestFacts(string Method, string Path, string Ip, string Host);
