using System.Diagnostics;

namespace Mandate.Fuzz;

/// <summary>Groups the inputs that hit the same bug.</summary>
public static class Finding
{
    /// <summary>
    /// The exception's type and where it was thrown: the first frame in Mandate's code (or the top frame when none is),
    /// and for a broken invariant, the invariant.
    /// </summary>
    public static string Signature(Exception error)
    {
        if (error is FuzzFinding)
        {
            return error.Message;
        }

        var frames = new StackTrace(error, fNeedFileInfo: false).GetFrames();
        var top = frames.FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("Mandate.", StringComparison.Ordinal) == true) ?? frames.FirstOrDefault();
        var method = top?.GetMethod();
        return $"{error.GetType().Name} at {method?.DeclaringType?.FullName}.{method?.Name}";
    }
}
