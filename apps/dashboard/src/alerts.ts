import { live } from './live';

const KEY = 'netdesk.p1-alerts';

/** Opt-in alert for a new P1 ticket: a short tone and, if the browser allows it, a desktop notification. */
export const p1Alerts = {
  enabled(): boolean {
    return localStorage.getItem(KEY) === 'on';
  },
  async setEnabled(on: boolean): Promise<void> {
    localStorage.setItem(KEY, on ? 'on' : 'off');
    if (on && 'Notification' in window && Notification.permission === 'default') {
      await Notification.requestPermission().catch(() => undefined);
    }
  },
};

let audio: AudioContext | null = null;
function beep(): void {
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.6);
  } catch {
    /* no audio device */
  }
}

export function watchP1(): () => void {
  return live.onTicket((t, kind) => {
    if (kind !== 'opened' || t.priority !== 'P1' || !p1Alerts.enabled()) return;
    beep();
    if ('Notification' in window && Notification.permission === 'granted') {
      const n = new Notification(`P1 #${t.number}: ${t.title}`, { tag: t.id, body: 'New P1 ticket in NetDesk' });
      n.onclick = () => {
        window.focus();
        location.assign(`/tickets/${t.id}`);
      };
    }
  });
}
