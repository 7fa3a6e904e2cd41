import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

/** Any record by type and id, through the server's record registry. */
export interface RecordRef {
  type: string;
  typeLabel: string;
  id: string;
  title: string;
  route: string;
}

export interface WorkTask {
  id: string;
  title: string;
  assigneeId: string | null;
  dueAt: string | null;
  priority: string;
  kind: string;
}

export interface WorkPromise {
  id: string;
  what: string;
  promiserId: string;
  dueAt: string;
  toText: string;
}

export interface RecordWork {
  record: RecordRef;
  tasks: WorkTask[];
  moreTasks: boolean;
  promises: WorkPromise[];
  morePromises: boolean;
}

export const recordKeys = {
  record: (type: string, id: string) => ['records', type, id] as const,
  work: (type: string, id: string) => ['records', type, id, 'work'] as const,
};

export const getRecord = (type: string, id: string) =>
  api.get<RecordRef>(`/records/${encodeURIComponent(type)}/${encodeURIComponent(id)}`);

export function useRecordWork(type: string, id: string) {
  return useQuery({
    queryKey: recordKeys.work(type, id),
    queryFn: () => api.get<RecordWork>(`/records/${encodeURIComponent(type)}/${encodeURIComponent(id)}/work`),
  });
}
