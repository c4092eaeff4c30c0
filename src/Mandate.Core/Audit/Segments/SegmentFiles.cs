using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Mandate.Core.Audit.Segments;

/// <summary>
/// Where the segment log lives and how its files are named: <c>&lt;data-dir&gt;/audit/</c> holds the segments
/// (<c>segment-&lt;first seq, 20 digits&gt;.log</c>, in seq order by name), the signed checkpoints
/// (<c>checkpoints.jsonl</c>) and the writer's lock (<c>writer.lock</c>). Each segment starts with a header (magic,
/// format version, first seq, creation time, node) and then holds frames (<see cref="SegmentFrame"/>).
/// </summary>
public static class SegmentFiles
{
    /// <summary>The folder of the log inside the data directory.</summary>
    public const string FolderName = "audit";

    /// <summary>The checkpoints file inside the log's folder.</summary>
    public const string CheckpointsFile = "checkpoints.jsonl";

    /// <summary>The lock file the one writer holds.</summary>
    public const string LockFile = "writer.lock";

    /// <summary>The segment format this build writes and reads.</summary>
    public const ushort FormatVersion = 1;

    private const string Prefix = "segment-";
    private const string Suffix = ".log";
    private static ReadOnlySpan<byte> Magic => "MNDAUDIT"u8;
    private const int FixedHeader = 8 + 2 + 2 + 8 + 8 + 2;
    private const int MaxHeader = 4096;

    /// <summary>The log's folder in <paramref name="dataDirectory"/>.</summary>
    public static string Folder(string dataDirectory) => Path.Combine(dataDirectory, FolderName);

    /// <summary>The path of the segment whose first record is <paramref name="firstSeq"/>.</summary>
    public static string SegmentPath(string folder, long firstSeq) =>
        Path.Combine(folder, Prefix + firstSeq.ToString("D20", CultureInfo.InvariantCulture) + Suffix);

    /// <summary>The segments in <paramref name="folder"/>, ascending by first seq (none when the folder is absent).</summary>
    public static IReadOnlyList<SegmentInfo> List(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }
        var list = new List<SegmentInfo>();
        foreach (var path in Directory.EnumerateFiles(folder, Prefix + "*" + Suffix))
        {
            var name = Path.GetFileName(path);
            var digits = name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Suffix.Length);
            if (digits.Length == 20 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                list.Add(new SegmentInfo(first, path));
            }
        }
        list.Sort((a, b) => a.FirstSeq.CompareTo(b.FirstSeq));
        return list;
    }

    /// <summary>The header of a new segment.</summary>
    public static byte[] Header(long firstSeq, DateTimeOffset created, string node)
    {
        var nodeBytes = Encoding.UTF8.GetBytes(node);
        if (nodeBytes.Length > MaxHeader - FixedHeader)
        {
            nodeBytes = nodeBytes[..(MaxHeader - FixedHeader)];
        }
        var header = new byte[FixedHeader + nodeBytes.Length];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), (ushort)header.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(12), firstSeq);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(20), created.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), (ushort)nodeBytes.Length);
        nodeBytes.CopyTo(header.AsSpan(FixedHeader));
        return header;
    }

    /// <summary>Reads a segment's header from its first bytes; null when they are not one this build reads (or not
    /// all there yet).</summary>
    public static SegmentHeader? ReadHeader(ReadOnlySpan<byte> start)
    {
        if (start.Length < FixedHeader || !start[..8].SequenceEqual(Magic))
        {
            return null;
        }
        var version = BinaryPrimitives.ReadUInt16LittleEndian(start[8..]);
        var length = BinaryPrimitives.ReadUInt16LittleEndian(start[10..]);
        var nodeLength = BinaryPrimitives.ReadUInt16LittleEndian(start[28..]);
        if (version != FormatVersion || length != FixedHeader + nodeLength || length > start.Length)
        {
            return null;
        }
        string node;
        try
        {
            node = new UTF8Encoding(false, true).GetString(start.Slice(FixedHeader, nodeLength));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        return new SegmentHeader(version, length, BinaryPrimitives.ReadInt64LittleEndian(start[12..]),
            DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(start[20..])), node);
    }

    /// <summary>Reads the header of the segment at <paramref name="path"/>; null when unreadable.</summary>
    public static SegmentHeader? ReadHeader(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> start = stackalloc byte[MaxHeader];
            var read = RandomAccess.Read(handle, start, 0);
            return ReadHeader(start[..read]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Creates <paramref name="path"/> readable by its owner only (mode 600 from the first byte on Unix);
    /// fails if it exists.</summary>
    public static FileStream CreatePrivate(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, options);
    }

    /// <summary>Makes a file created or renamed in <paramref name="folder"/> survive a power cut (fsync of the folder).
    /// .NET opens no directory as a file, so this asks libc directly.</summary>
    public static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux
        var fd = NativeFolder.Open(folder, OperatingSystem.IsLinux() ? ReadOnlyDirectory : 0);
        if (fd < 0)
        {
            throw new IOException($"the folder `{folder}` cannot be opened to sync it (errno {Marshal.GetLastPInvokeError()})");
        }
        try
        {
            if (NativeFolder.Sync(fd) != 0)
            {
                throw new IOException($"the folder `{folder}` cannot be synced (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            NativeFolder.Close(fd);
        }
    }

    private static class NativeFolder
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Sync(int fd);

        [DllImport("libc", EntryPoint = "close")]
        public static extern int Close(int fd);
    }
}

/// <summary>A segment file of the log.</summary>
/// <param name="FirstSeq">The seq its name says its first record has.</param>
/// <param name="Path">Its path.</param>
public sealed record SegmentInfo(long FirstSeq, string Path);

/// <summary>A segment's header.</summary>
/// <param name="Version">Segment format version.</param>
/// <param name="Length">Header length in bytes: frames start here.</param>
/// <param name="FirstSeq">Seq of its first record.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Node">The node that wrote it.</param>
public sealed record SegmentHeader(ushort Version, int Length, long FirstSeq, DateTimeOffset Created, string Node);
