using Mandate.Cedar.Requests;
using Mandate.Cedar.Schema;

namespace Mandate.Cedar.Validation;

/// <summary>
/// Request validation: a request conforms to the schema when its action is declared, the
/// principal's and resource's types are among the action's <c>appliesTo</c> types (and valid
/// ids of enumerated types), and the context has the action's context type exactly.
/// </summary>
public static class RequestValidator
{
    /// <summary>Every way <paramref name="request"/> departs from <paramref name="schema"/> (empty when it conforms).</summary>
    public static IReadOnlyList<ConformanceError> Validate(CedarSchema schema, Request request)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<ConformanceError>();
        if (schema.FindAction(request.Action) is not { } action)
        {
            errors.Add(new(ConformanceCodes.UndeclaredAction, $"request's action `{request.Action}` is not declared in the schema"));
            return errors;
        }
        if (!action.AppliesTo.PrincipalTypes.Contains(request.Principal.Type))
        {
            errors.Add(new(ConformanceCodes.InvalidRequestEntityType,
                $"principal type `{request.Principal.Type}` is not valid for `{request.Action}`"));
        }
        if (!action.AppliesTo.ResourceTypes.Contains(request.Resource.Type))
        {
            errors.Add(new(ConformanceCodes.InvalidRequestEntityType,
                $"resource type `{request.Resource.Type}` is not valid for `{request.Action}`"));
        }
        foreach (var uid in new[] { request.Principal, request.Resource })
        {
            if (ValueConformance.EnumProblem(uid, schema) is { } problem) errors.Add(new(ConformanceCodes.InvalidEnumEntity, problem));
        }
        if (ValueConformance.CheckRecord(request.Context, action.AppliesTo.Context, schema) is { } contextProblem)
        {
            errors.Add(new(ConformanceCodes.InvalidContext, $"context is not valid for `{request.Action}`: {contextProblem}"));
        }
        return errors;
    }
}
