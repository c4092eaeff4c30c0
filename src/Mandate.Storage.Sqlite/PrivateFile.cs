namespace Mandate.Storage.Sqlite;

/// <summary>Creates files only their owner may read (mode 600 from the first byte on Unix).</summary>
internal static class PrivateFile
{
    /// <summary>Creates <paramref name="path"/>; fails if it exists.</summary>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, options);
    }
}
