import type { MessageRecord } from '../../domain/message-lists.ts';
import { Avatar } from '../../views/components/avatar.tsx';
import { Pagination } from '../../views/components/pagination.tsx';
import { ShortTextForm } from '../../views/components/short-text-form.tsx';
import { Timestamp } from '../../views/components/timestamp.tsx';
import { useT } from '../../views/context.ts';
import { Layout } from '../../views/layout.tsx';
import { profilePath } from '../../views/paths.ts';

export function SendMessagePage({
  recipient,
  value,
  error,
}: {
  recipient: string;
  value?: string;
  error?: string;
}) {
  const t = useT();
  return (
    <Layout title={t('Send Message')}>
      <h1 class="h3">{t('Send Message to {recipient}', { recipient })}</h1>
      <ShortTextForm
        action={`/send_message/${encodeURIComponent(recipient)}`}
        name="message"
        label={t('Message')}
        value={value}
        error={error}
      />
    </Layout>
  );
}

function MessageItem({ message }: { message: MessageRecord }) {
  const t = useT();
  const sender = profilePath(message.sender);
  return (
    <article class="d-flex gap-3 py-3 border-bottom message" id={`message-${message.id}`}>
      <a href={sender} tabIndex={-1}>
        <Avatar user={message.sender} size={48} />
      </a>
      <div>
        <div>
          <a href={sender} class="fw-semibold author user_popup">
            {message.sender.username}
          </a>{' '}
          <small class="text-body-secondary">
            {t('said')} <Timestamp date={message.timestamp} />
          </small>
        </div>
        <p class="mb-0 body">{message.body}</p>
      </div>
    </article>
  );
}

export function MessagesPage({
  messages,
  links,
}: {
  messages: MessageRecord[];
  links: { newer?: string; older?: string };
}) {
  const t = useT();
  return (
    <Layout title={t('Messages')}>
      <h1 class="h3">{t('Messages')}</h1>
      {messages.length === 0 ? (
        <p class="text-body-secondary empty">{t('No messages yet.')}</p>
      ) : (
        <section aria-label={t('Messages')} class="messages">
          {messages.map((message) => (
            <MessageItem key={message.id} message={message} />
          ))}
        </section>
      )}
      <Pagination {...links} label={t('Messages pages')} listing="messages" />
    </Layout>
  );
}
