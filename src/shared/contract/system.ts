/** Host facts and the doctor. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { DoctorReportSchema, SystemInfoSchema } from '../model/system.js';

export const system = {
  getInfo: procedure(z.object({}), SystemInfoSchema),
  runDoctor: procedure(z.object({}), DoctorReportSchema),
} as const;
