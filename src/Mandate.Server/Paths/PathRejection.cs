using Mandate.Core.Errors;

namespace Mandate.Server.Paths;

/// <summary>Why a request target could not be made canonical without ambiguity (answered with 400).</summary>
/// <param name="Code">Stable code, e.g. <c>path.encoded_slash</c> (<see cref="ErrorCatalogue"/>).</param>
/// <param name="Message">Short lowercase message for a person.</param>
public sealed record PathRejection(ErrorCode Code, string Message);
