using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Requests;

namespace Mandate.Cedar.Evaluation;

/// <summary>
/// Evaluates single expressions (for tools and tests). Authorization does not go through
/// here: the authorizer compiles every policy once and reuses the compiled form.
/// </summary>
public static class Evaluator
{
    /// <summary>Compiles and evaluates <paramref name="expression"/> against a request and entities.</summary>
    public static EvaluationResult Evaluate(Expr expression, Request request, EntityStore entities)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var node = ExprCompiler.Compile(expression);
        var ctx = new EvalContext(request, entities);
        var v = node.Eval(ref ctx);
        return v is null ? EvaluationResult.Failure(ctx.Error ?? "evaluation error") : EvaluationResult.Success(v);
    }
}
