namespace Mandate.Core.Tokens;

/// <summary>The task token store could not read or write. Nothing was issued or acknowledged.</summary>
public sealed class TaskTokenStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskTokenStoreException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
