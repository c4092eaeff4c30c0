using Mandate.Cedar.Entities;
using Mandate.Cedar.Requests;

namespace Mandate.Cedar.Evaluation;

/// <summary>
/// Per-evaluation state passed by reference through compiled nodes: the request, the entity
/// store, and the first error met. A node that fails sets <see cref="Error"/> and returns null;
/// nothing is thrown on the evaluation path.
/// </summary>
internal struct EvalContext(Request request, EntityStore entities)
{
    public readonly Request Request = request;
    public readonly EntityStore Entities = entities;
    public string? Error;
}
