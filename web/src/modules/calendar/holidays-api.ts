import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { client, unwrap } from '../../api/client';
import type { Schema } from '../../api/types';

export type HolidayStatus = Schema<'HolidayStatus'>;

const HOLIDAYS_KEY = ['calendar', 'holidays'] as const;

/** Which official holiday years the org has (built in, imported) and which is missing now. */
export function useHolidayStatus(enabled = true) {
  return useQuery({
    queryKey: HOLIDAYS_KEY,
    enabled,
    staleTime: 10 * 60_000,
    queryFn: () => unwrap(client.GET('/api/v1/calendar/holidays')),
  });
}

export function useImportHolidays() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: { content: string; filename: string }) =>
      unwrap(client.POST('/api/v1/calendar/holidays/import', { body: file })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['calendar'] });
    },
  });
}
