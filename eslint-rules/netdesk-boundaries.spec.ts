import * as path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import netdesk from './netdesk-boundaries.mjs';

/** The boundary rules on real file names of the repository (the rules read the lib from the path). */
const root = path.resolve(__dirname, '..');
const file = (rel: string) => path.join(root, rel);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, sourceType: 'module' } });

// RuleTester reports through describe/it, so it runs as Jest tests
RuleTester.describe = describe;
RuleTester.it = it;

tester.run('lib-imports', netdesk.rules['lib-imports'], {
  valid: [
    { code: "import { Clock } from '@netdesk/core';", filename: file('libs/reports/src/reports/reports.service.ts') },
    { code: "import { x } from '../domain';", filename: file('libs/reports/src/reports/reports.service.ts') },
    { code: "import { AppModule } from './app.module';", filename: file('apps/server/src/main.ts') },
    {
      code: "import { DeviceEntity } from '@netdesk/inventory/entities';",
      filename: file('libs/monitoring/src/polling/status-history.entity.ts'),
    },
    { code: "import { TicketEntity } from '@netdesk/ticketing/entities';", filename: file('apps/server/src/x.ts') },
  ],
  invalid: [
    {
      code: "import { TicketEntity } from '@netdesk/ticketing/src/tickets/ticket.entity';",
      filename: file('libs/reports/src/reports/reports.service.ts'),
      errors: [{ messageId: 'deep' }],
    },
    {
      code: "import { DeviceEntity } from '@netdesk/inventory/entities';",
      filename: file('libs/ticketing/src/automation/diagnosis.service.ts'),
      errors: [{ messageId: 'deep' }],
    },
    {
      code: "export * from '@netdesk/core/src/clock';",
      filename: file('apps/server/src/main.ts'),
      errors: [{ messageId: 'deep' }],
    },
    {
      code: "import { DeviceEntity } from '../../../inventory/src/device.entity';",
      filename: file('libs/reports/src/reports/reports.service.ts'),
      errors: [{ messageId: 'relative' }],
    },
    {
      code: "import { AppModule } from '../../../../apps/server/src/app.module';",
      filename: file('libs/reports/src/reports/reports.service.ts'),
      errors: [{ messageId: 'app' }],
    },
  ],
});

tester.run('entity-crossing', netdesk.rules['entity-crossing'], {
  valid: [
    { code: "import { TicketsService } from '@netdesk/ticketing';", filename: file('libs/reports/src/x.ts') },
    { code: "import { TicketEntity } from './ticket.entity';", filename: file('libs/ticketing/src/tickets/x.ts') },
    { code: "import { DeviceRepository } from '@netdesk/inventory';", filename: file('apps/server/src/x.ts') },
    {
      code: "import { DeviceEntity } from '@netdesk/inventory/entities';",
      filename: file('libs/reports/src/episodes/fault-episode.entity.ts'),
    },
    {
      code: "import { DeviceDirectory, Device } from '@netdesk/inventory';",
      filename: file('libs/ticketing/src/x.ts'),
    },
  ],
  invalid: [
    {
      code: "import { DeviceEntity, DevicesService, TicketRepository as T } from '@netdesk/inventory';",
      filename: file('libs/ticketing/src/x.ts'),
      errors: [{ messageId: 'crossing' }, { messageId: 'crossing' }],
    },
    {
      code: "import { DeviceEntity } from '@netdesk/inventory/entities';",
      filename: file('libs/ticketing/src/x.ts'),
      errors: [{ messageId: 'crossing' }],
    },
    {
      code: "export { TicketRepository } from '@netdesk/ticketing';",
      filename: file('libs/requests/src/index.ts'),
      errors: [{ messageId: 'crossing' }],
    },
  ],
});
