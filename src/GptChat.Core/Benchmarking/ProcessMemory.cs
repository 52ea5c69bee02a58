namespace GptChat.Benchmarking;

/// <summary>The process's peak resident set (Linux VmHWM), as /usr/bin/time -v reports it for the peers.</summary>
internal static class ProcessMemory
{
    /// <summary>Peak resident set in MiB, or null where /proc is not available.</summary>
    public static double? PeakRssMb()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                string kb = line["VmHWM:".Length..].Trim();
                if (kb.EndsWith(" kB", StringComparison.Ordinal)) kb = kb[..^3];
                return long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>
    /// Resets the peak to the current resident set (Linux ≥ 4.0: "5" to /proc/self/clear_refs), so that each
    /// workload of one process reports its own peak. Best effort: where it fails the peak covers the whole process.
    /// </summary>
    public static void TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
