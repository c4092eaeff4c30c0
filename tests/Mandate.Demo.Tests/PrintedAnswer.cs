using System.Net;

namespace Mandate.Demo.Tests;

/// <summary>What the gateway answered to one printed call.</summary>
internal sealed record PrintedAnswer(PrintedCall Call, HttpStatusCode Status, HttpResponseMessage Response, string Body);
