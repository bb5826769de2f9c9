import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';

/**
 * A modal question with focus trapped inside, Escape to cancel, and focus returned to the
 * control that opened it (React Aria's Modal and Dialog).
 */
export function ConfirmDialog({
  isOpen,
  title,
  children,
  confirmLabel,
  danger = false,
  busy = false,
  onConfirm,
  onCancel,
}: {
  isOpen: boolean;
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <ModalOverlay
      className="overlay"
      isOpen={isOpen}
      isDismissable
      onOpenChange={(open) => {
        if (!open) onCancel();
      }}
    >
      <Modal className="modal">
        <Dialog role="alertdialog" className="dialog">
          <Heading slot="title">{title}</Heading>
          <div className="dialog-body">{children}</div>
          <div className="actions">
            <Button className="button" onPress={onCancel} autoFocus>
              Cancel
            </Button>
            <Button
              className={danger ? 'button danger' : 'button primary'}
              onPress={onConfirm}
              isDisabled={busy}
            >
              {confirmLabel}
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
