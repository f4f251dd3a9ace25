using System;
using MicroT.Runtime.Models;

namespace MicroT.Runtime.Classifier
{
    /// <summary>
    /// Saves and loads tasks so that a power cut while saving never loses the task. Each task has
    /// two slots, name + ".0" and name + ".1", each holding a record:
    /// "MTSR", u32 sequence, the task bytes (TaskSerializer), u32 CRC-32 of everything before.
    /// Save writes the new copy into the slot that does not hold the newest valid copy, with the
    /// next sequence number; the complete, CRC-valid record with the higher sequence is the switch.
    /// A write cut at any byte leaves that slot invalid and the other slot (the old task) intact.
    /// </summary>
    public sealed class TaskStorage
    {
        const int RecordOverhead = 12;
        readonly IByteStorage _storage;

        /// <summary>Saves tasks into storage, two slot files (name.0, name.1) per task.</summary>
        public TaskStorage(IByteStorage storage)
        {
            if (storage == null) throw new ArgumentNullException("storage");
            _storage = storage;
        }

        /// <summary>Saves task under its name.</summary>
        public void Save(ClassifierTask task)
        {
            if (task == null) throw new ArgumentNullException("task");
            uint sequence0, sequence1;
            bool valid0 = TryRead(SlotName(task.Name, 0), task.Name, out sequence0) != null;
            bool valid1 = TryRead(SlotName(task.Name, 1), task.Name, out sequence1) != null;
            int target;
            uint sequence;
            if (valid0 && valid1)
            {
                bool zeroIsNewer = (int)(sequence0 - sequence1) > 0;
                target = zeroIsNewer ? 1 : 0;
                sequence = (zeroIsNewer ? sequence0 : sequence1) + 1;
            }
            else if (valid0) { target = 1; sequence = sequence0 + 1; }
            else if (valid1) { target = 0; sequence = sequence1 + 1; }
            else { target = 0; sequence = 1; }

            byte[] body = TaskSerializer.ToBytes(task);
            byte[] record = new byte[body.Length + RecordOverhead];
            record[0] = (byte)'M'; record[1] = (byte)'T'; record[2] = (byte)'S'; record[3] = (byte)'R';
            PutUInt32(record, 4, sequence);
            Array.Copy(body, 0, record, 8, body.Length);
            PutUInt32(record, record.Length - 4, Crc32.Compute(record, 0, record.Length - 4));
            _storage.Write(SlotName(task.Name, target), record);
        }

        /// <summary>The newest valid saved copy of the task named name, or null when none was ever
        /// saved. Throws TaskFormatException when copies exist but none is valid.</summary>
        public ClassifierTask Load(string name)
        {
            ClassifierTask.CheckName(name);
            uint sequence0, sequence1;
            string problem0, problem1;
            ClassifierTask task0 = TryRead(SlotName(name, 0), name, out sequence0, out problem0);
            ClassifierTask task1 = TryRead(SlotName(name, 1), name, out sequence1, out problem1);
            if (task0 != null && task1 != null) return (int)(sequence0 - sequence1) > 0 ? task0 : task1;
            if (task0 != null) return task0;
            if (task1 != null) return task1;
            if (problem0 == null && problem1 == null) return null;
            throw new TaskFormatException("no valid saved copy of task '" + name + "': slot 0: "
                + (problem0 == null ? "absent" : problem0) + "; slot 1: " + (problem1 == null ? "absent" : problem1), 0);
        }

        static string SlotName(string name, int slot) { return slot == 0 ? name + ".0" : name + ".1"; }

        ClassifierTask TryRead(string slotName, string taskName, out uint sequence)
        {
            string problem;
            return TryRead(slotName, taskName, out sequence, out problem);
        }

        /// <summary>The task in a slot, or null with problem set (null when the slot is absent).</summary>
        ClassifierTask TryRead(string slotName, string taskName, out uint sequence, out string problem)
        {
            sequence = 0;
            problem = null;
            byte[] record = _storage.Read(slotName);
            if (record == null) return null;
            if (record.Length < RecordOverhead || record[0] != 'M' || record[1] != 'T' || record[2] != 'S' || record[3] != 'R')
            {
                problem = "not a task record (" + record.Length + " bytes)";
                return null;
            }
            if (GetUInt32(record, record.Length - 4) != Crc32.Compute(record, 0, record.Length - 4))
            {
                problem = "CRC mismatch (incomplete or corrupt write)";
                return null;
            }
            ClassifierTask task;
            try { task = TaskSerializer.FromBytes(record, 8, record.Length - RecordOverhead); }
            catch (TaskFormatException e)
            {
                problem = e.Message;
                return null;
            }
            if (task.Name != taskName)
            {
                problem = "holds task '" + task.Name + "'";
                return null;
            }
            sequence = GetUInt32(record, 4);
            return task;
        }

        static void PutUInt32(byte[] b, int at, uint v)
        {
            b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); b[at + 2] = (byte)(v >> 16); b[at + 3] = (byte)(v >> 24);
        }

        static uint GetUInt32(byte[] b, int at)
        {
            return (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
        }
    }
}
